import type { OpProfile } from '../profile/ops-profile.ts';

/**
 * Renders model.profile() into `table` (data-msse="profile-table"): one row per dispatch of a batch-1 forward,
 * with its pipeline label, replayed time, work and throughput, then the totals and the whole pass as one submit;
 * `note` says what was timed, and how. `backendDescription` names the adapter (browsers mask most of what the
 * profile itself could say).
 */
export function renderProfile(table: HTMLTableElement, note: HTMLElement, profile: OpProfile, backendDescription: string): void {
  const body = table.tBodies[0]!;
  const foot = table.tFoot!;
  body.replaceChildren(
    ...profile.rows.map((row) =>
      tableRow([String(row.index), row.label, row.ms.toFixed(3), (row.flops / 1e6).toFixed(2), gflops(row.flops, row.ms)]),
    ),
  );
  const totalMs = profile.rows.reduce((sum, row) => sum + row.ms, 0);
  const totalFlops = profile.rows.reduce((sum, row) => sum + row.flops, 0);
  foot.replaceChildren(
    tableRow(['', `${profile.rows.length} dispatches`, totalMs.toFixed(3), (totalFlops / 1e6).toFixed(2), gflops(totalFlops, totalMs)]),
    tableRow(['', 'whole forward, one submit', profile.stepMs.toFixed(3), '', '']),
  );
  note.textContent = `${profile.pass}, batch ${profile.batch}, ${profile.frames} frames, ${backendDescription}. Timing: ${profile.timing}.`;
  table.hidden = false;
}

/** GFLOP/s from FLOPs and milliseconds (FLOP / ms / 1e6); a dash when the time is too small to divide by. */
function gflops(flops: number, ms: number): string {
  return ms > 0 ? (flops / ms / 1e6).toFixed(2) : '–';
}

function tableRow(cells: readonly string[]): HTMLTableRowElement {
  const row = document.createElement('tr');
  for (const cell of cells) row.insertCell().textContent = cell;
  return row;
}
