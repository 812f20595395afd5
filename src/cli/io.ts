/**
 * Where a command writes. The command line writes to the process's streams; tests run commands
 * in-process with an {@link Io} that keeps what they wrote.
 */
export interface Io {
  /** Writes one line to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  /** Writes text to standard output as it is (a CSV document, a child process's output). */
  write(text: string): void;
  /** Writes text to standard error as it is. */
  writeErr(text: string): void;
}

/** The process's own standard output and standard error. */
export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/** Writes `table` (a header row, then the rows) as aligned columns, two spaces apart. */
export function printTable(io: Io, table: string[][]): void {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  for (const line of table)
    io.out(
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}
