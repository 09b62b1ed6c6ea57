/** `npm run docs`: write docs/detectors/ and the README's detector table from the detectors and their fixture cases (detector-docs.ts). */
import { detectorDocs, DOCS_DIR, writeDocs } from './detector-docs.js';

const pages = await detectorDocs();
const { written, removed } = writeDocs(pages);
for (const p of removed) console.log(`removed ${p}`);
for (const p of written) console.log(`wrote ${p}`);
console.log(`${pages.size} generated files (${DOCS_DIR}/ and README.md): ${written.length} written, ${removed.length} removed`);
