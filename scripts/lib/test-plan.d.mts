export interface Counts {
  passed: number;
  failed: number;
  skipped?: number;
}
export function selectSuites(
  known: readonly string[],
  args: readonly string[],
): { selected: string[] } | { error: string };
export function judgeSuite(r: { status: number | null; counts: Counts | null; countsTests: boolean }): {
  ok: boolean;
  passed: number;
  failed: number;
  skipped: number;
  problem?: string;
};
export function judgeRun(results: readonly { ok: boolean; passed: number; failed: number }[]): {
  ok: boolean;
  passed: number;
  failed: number;
  problem?: string;
};
