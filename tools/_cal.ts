import { runOnDevice, Step } from "./device/runDevice";
const script: Step[] = [[6000, "line", "cal start"], [6500, "mem"], [20000, "mem"], [40000, "line", "cal status"], [60000, "line", "cal status"], [60000,"mem"], [90000, "line", "cal status"], [90100, "end"]];
const run = runOnDevice({ board: "pico", script });
console.log(run.errors.slice(0, 5));
console.log(run.usb.filter((u) => !/^STATUS/.test(u.text)).map((u) => u.ms.toFixed(0) + " " + u.text.slice(0, 120)).join("\n"));
console.log(JSON.stringify(run.mem));
