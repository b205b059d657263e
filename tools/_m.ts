import { runOnDevice } from "./device/runDevice";
const r = runOnDevice({ board: process.argv[2] || "mdbt42q", script: [[3000, "mem"], [8000, "line", "status"], [8000, "mem"], [8100, "end"]] });
console.log(r.errors.slice(0, 6).join("\n"));
console.log(r.usb.map((u) => u.ms.toFixed(0) + " " + u.text.slice(0, 150)).join("\n"));
console.log(JSON.stringify(r.mem));
console.log(r.out.split("\n").filter((l) => /OUT OF|Uncaught|at /.test(l)).slice(0, 20).join("\n"));
