// Every bench section, in the order they run. A section is one file under tools/bench/.
import { deviceSection } from "./device";
import { deviceVolumeSection } from "./deviceVolume";
import { flashSection } from "./flash";
import { protectionSection } from "./protection";
import { BenchSection } from "./section";
import { sizeSection } from "./size";
import { volumeSection } from "./volume";

export const SECTIONS: BenchSection[] = [sizeSection, deviceSection, deviceVolumeSection, protectionSection, flashSection, volumeSection];
