// A one-line progress bar on stderr for long replays (redrawn in place on a terminal, a line every
// 10 % otherwise, so CI logs stay short).
export function progressBar(label: string): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done === total) process.stderr.write('\n');
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${label} ${done}/${total} (${Math.round(fraction * 100)}%)\n`);
    }
  };
}
