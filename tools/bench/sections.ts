// Every bench section, in the order they run. A section is one file under tools/bench/.
import { BenchSection } from "./section";
import { sizeSection } from "./size";

export const SECTIONS: BenchSection[] = [sizeSection];
