import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium for browser tests, driven by playwright-core, which never downloads a browser here
 * (`executablePath` is always given). Flags and their measurements: ../shared/runbooks/webgpu.md, "Headless
 * Chromium" and "Chromium 156". Install the browser with `bash scripts/setup-debian.sh`.
 */

/**
 * Which WebGPU adapter the page can get:
 * - `llvmpipe`: Mesa llvmpipe through ANGLE's GLES backend, ~7× SwiftShader on compute. The page must call
 *   `requestAdapter({ featureLevel: 'compatibility' })`; core requests fall back to SwiftShader.
 * - `swiftshader`: Chromium's bundled Vulkan-on-CPU, `isFallbackAdapter` true, core features.
 * - `none`: no WebGPU flag, so `requestAdapter()` resolves to null (the no-GPU path of a page).
 */
export type WebGpuMode = 'llvmpipe' | 'swiftshader' | 'none';

export interface ChromiumOptions {
  webgpu: WebGpuMode;
  /** A WAV file Chromium plays as the default microphone (it resamples it to its own rate); grants `microphone`. */
  fakeAudioWav?: string;
}

export interface ChromiumSession {
  browser: Browser;
  /** One page in a fresh context; reuse it across the cases of a test file. */
  page: Page;
  /** Console messages of type error and uncaught page errors, in order, as `text (url:line)`. */
  consoleErrors: string[];
  /** Writes a PNG of the page under SCREENSHOT_DIR and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's binary; its /usr/bin/chromium wrapper works too but prints a shell error at each start. */
const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';

/** Screenshots go to the OS temp folder: the repository has no ignored folder for test output. */
export const SCREENSHOT_DIR = join(tmpdir(), 'msse-test-output');

/** Flags every mode gets: no sandbox (CI runs as root), nothing that talks to the network or Google. */
const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * No EGL_PLATFORM here, unlike Dawn in Node (runbook pitfall 3): ANGLE asks for Mesa's surfaceless platform
 * itself, and chrome://gpu showed the llvmpipe adapter with EGL_PLATFORM unset, `x11` and `surfaceless` alike.
 */
const WEBGPU_FLAGS: Record<WebGpuMode, readonly string[]> = {
  llvmpipe: ['--enable-unsafe-webgpu', '--use-angle=gl-egl', '--use-webgpu-adapter=opengles'],
  swiftshader: ['--enable-unsafe-webgpu'],
  none: [],
};

/** The Chromium binary: Debian's, else whatever `chromium` is on PATH; an Error saying how to install it. */
export function chromiumExecutable(): string {
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`Chromium not found at ${DEBIAN_CHROMIUM} or on PATH; install it with \`bash scripts/setup-debian.sh\``);
  }
}

/** Launches headless Chromium with one page; call `close()` in afterAll. */
export async function launchChromium(options: ChromiumOptions): Promise<ChromiumSession> {
  const args = [...BASE_FLAGS, ...WEBGPU_FLAGS[options.webgpu]];
  if (options.fakeAudioWav !== undefined) {
    // Chromium falls back to a synthetic beep when the file cannot be read: fail here instead, naming it.
    if (!existsSync(options.fakeAudioWav)) throw new Error(`fake microphone WAV not found: ${options.fakeAudioWav}`);
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${options.fakeAudioWav}`,
    );
  }
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args, timeout: 30_000 });
  try {
    const context = await browser.newContext({ permissions: options.fakeAudioWav === undefined ? [] : ['microphone'] });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url, lineNumber } = message.location();
      consoleErrors.push(url === '' ? message.text() : `${message.text()} (${url}:${lineNumber})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught ${error.name}: ${error.message}`));
    return {
      browser,
      page,
      consoleErrors,
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
