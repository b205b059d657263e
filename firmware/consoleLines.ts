// Assembles console chunks into lines with a hard length limit, so a flood or a line without end
// cannot grow memory: an over-long line is dropped whole and reported once as too long.
export const MAX_LINE = 80;

export interface LineAssembler {
  push(chunk: string): void;
}

/** onLine(line) for each complete line; onLine(null) once for each line that was too long. */
export function startLineAssembler(onLine: (line: string | null) => void): LineAssembler {
  let buf = "";
  let overflow = false;
  return {
    push: function (chunk: string) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charAt(i);
        if (c === "\r" || c === "\n") {
          if (overflow) onLine(null);
          else if (buf.length) onLine(buf);
          buf = "";
          overflow = false;
        } else if (!overflow) {
          if (buf.length >= MAX_LINE) {
            overflow = true;
            buf = "";
          } else buf += c;
        }
      }
    },
  };
}
