// Property tests are seeded so CI is repeatable; FC_SEED=<n> explores another part of the space
// (and a failure prints the seed and path to replay it).
import fc from "fast-check";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125;
fc.configureGlobal({ seed });
