/*
 * Runs the modeler's structural lint (webapp/modeler_src/lint/) on BPMN files, outside the
 * browser: bpmn-moddle reads each file as bpmn-js does, bpmnlint runs our rules. Bundled by
 * esbuild for Node in tests/lint/test_lint_parity.py. Reads a JSON list of XML texts on stdin,
 * writes a JSON list of {element id: [rule ids]}.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';

import { lintConfig } from '../../webapp/modeler_src/lint/config';

async function lintOne(xml) {
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const reports = await new Linter(lintConfig).lint(rootElement);
  const found = {};
  Object.entries(reports).forEach(([ rule, items ]) => items.forEach(item => {
    (found[item.id] = found[item.id] || []).push(rule);
  }));
  return found;
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const xml of JSON.parse(input)) {
    results.push(await lintOne(xml));
  }
  process.stdout.write(JSON.stringify(results));
});
