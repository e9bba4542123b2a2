/*
 * The blank decision file a manager starts from: one decision table (hit policy UNIQUE) with
 * the input expression and output variable the manager chose and no rule yet, in DMN 1.3 as
 * the files of processes/ are. The file is named after the decision: <decision id>.dmn.
 */

function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function blankDecision({ decisionId, name, input, output }) {
  const id = escapeXml(decisionId);
  const title = escapeXml(name || decisionId);
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="${id}_definitions" name="${title}" namespace="http://icc-cpi.int/asp/secretariat/processes">
  <decision id="${id}" name="${title}">
    <decisionTable id="${id}_table" hitPolicy="UNIQUE">
      <input id="${id}_input" label="${escapeXml(input)}">
        <inputExpression id="${id}_input_expression" typeRef="string">
          <text>${escapeXml(input)}</text>
        </inputExpression>
      </input>
      <output id="${id}_output" label="${escapeXml(output)}" name="${escapeXml(output)}" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="${id}_diagram">
      <dmndi:DMNShape id="${id}_di" dmnElementRef="${id}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}
