/** Unparseable cells of one column: counted, with the first few line numbers and raw values as examples. */
export interface ValueProblems {
  count: number;
  lines: number[];
  samples: string[];
}

export const MAX_PROBLEM_EXAMPLES = 5;

export function newProblems(): ValueProblems {
  return { count: 0, lines: [], samples: [] };
}

export function addProblem(p: ValueProblems, line: number, raw: string): void {
  p.count++;
  if (p.lines.length < MAX_PROBLEM_EXAMPLES) {
    p.lines.push(line);
    p.samples.push(raw.length > 40 ? raw.slice(0, 40) + '…' : raw);
  }
}
