import type { Classification } from '../api/types.ts';

/** The latest result: its label, a caption (where it came from, how long it took) and a bar per class. */
export interface ResultView {
  show(result: Classification, caption: string): void;
  clear(): void;
}

/**
 * Renders into `root` (data-msse="result"), whose `.label` paragraph and `.bars` list the page provides. The root
 * carries the result for tests and scripts: data-label, and data-probs as JSON label → probability (JSON keeps
 * every digit of a double).
 */
export function createResultView(root: HTMLElement, labels: readonly string[]): ResultView {
  const labelLine = root.querySelector<HTMLElement>('.label')!;
  const list = root.querySelector<HTMLUListElement>('.bars')!;
  const rows = labels.map((label, k) => {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = label;
    const track = document.createElement('span');
    track.className = 'track';
    const fill = document.createElement('span');
    fill.className = `fill k${k}`;
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    item.append(name, track, value);
    return { item, fill, value };
  });
  list.replaceChildren();

  return {
    show(result, caption) {
      root.dataset.label = result.label;
      root.dataset.probs = JSON.stringify(result.probs);
      labelLine.textContent = `${result.label} (${percent(result.probs[result.label] ?? 0)}) ${caption}`;
      if (list.childElementCount === 0) list.append(...rows.map((r) => r.item));
      labels.forEach((label, k) => {
        const p = result.probs[label] ?? 0;
        rows[k]!.fill.style.width = `${(100 * p).toFixed(2)}%`;
        rows[k]!.value.textContent = percent(p);
      });
    },
    clear() {
      root.dataset.label = '';
      root.dataset.probs = '';
      labelLine.textContent = 'Waiting for the first result…';
      list.replaceChildren();
    },
  };
}

function percent(p: number): string {
  return `${(100 * p).toFixed(1)}%`;
}
