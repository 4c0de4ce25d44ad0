import { commandLine } from './small-bench-report';

describe('small bench report', () => {
  it('writes the command as the user typed it', () => {
    expect(commandLine('bench:idle', [])).toBe('npm run bench:idle');
    expect(commandLine('bench:wakeup', ['--name', 'laptop', '--pauses', '0,10'])).toBe('npm run bench:wakeup -- --name laptop --pauses 0,10');
  });
});
