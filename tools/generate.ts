// Writes the generated files (metadata XML, agent docs) from the declarations.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedFiles } from './generated-files.js';

const root = path.resolve(import.meta.dirname, '..');
for (const [file, content] of generatedFiles()) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
  console.log(`generated ${file}`);
}
