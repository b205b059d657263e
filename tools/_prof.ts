import { runOnDevice, Step } from "./device/runDevice";
const a = Number(process.argv[3] || 12000), b = Number(process.argv[4] || 20000);
const script: Step[] = [[a, "cpuReset"], [a, "prof", 0], [b, "cpu"], [b, "prof", Number(process.argv[5] || 12)], [b, "mem"], [b + 10, "end"]];
const run = runOnDevice({ board: process.argv[2] || "pico", script, profile: true });
console.log(run.out.split("\n").filter((l) => /PACEPROF/.test(l)).join("\n"));
const tot = run.cpu.reduce((s, c) => s + c.tokens, 0);
console.log(JSON.stringify(run.cpu), JSON.stringify(run.mem), "CPU %", ((tot * 13086) / 1e9 / ((b - a) / 1000) * 100).toFixed(2));
