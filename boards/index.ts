// Every board the build knows. Adding a board: one file here and one line below.
import { Board } from "./board";
import PICO from "./pico";
import MDBT42Q from "./mdbt42q";

export const BOARDS: { [name: string]: Board } = { pico: PICO, mdbt42q: MDBT42Q };
