import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** Starts (or switches to) a phase with a known total. */
  phase(name: string, total: number): void;
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on an interactive terminal; on a pipe or in CI, a line per phase and every ~10% so logs
 * stay readable.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: ' {phase} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      phase(name, total) {
        if (started) bar.stop();
        bar.start(total, 0, { phase: name.padEnd(14) });
        started = true;
      },
      update: (done) => bar.update(done),
      stop: () => {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let current = '';
  let total = 0;
  let nextMark = 0;
  const started = Date.now();
  return {
    phase(name, t) {
      current = name;
      total = t;
      nextMark = t / 10;
      stream.write(`${name}: 0/${t}\n`);
    },
    update(done) {
      if (total > 0 && done >= nextMark) {
        stream.write(
          `${current}: ${done}/${total} (${Math.round((100 * done) / total)}%, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
        );
        nextMark = done + total / 10;
      }
    },
    stop: () => undefined,
  };
}
