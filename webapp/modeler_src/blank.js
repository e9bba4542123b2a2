/*
 * The blank process a manager starts from: one pool with two lanes (lanes are roles), a
 * start event, a user task and an end event, with the process id and name the manager chose.
 * It follows our BPMN conventions (tests/engine/bpmn/README.md) and deploys as it is.
 */

function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const BLANK_LANES = [ 'Secretariat', 'Director' ];

export function blankDiagram(key, name) {
  const id = escapeXml(key);
  const title = escapeXml(name || key);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="${id}_definitions" targetNamespace="http://icc-cpi.int/asp/secretariat/processes">
  <bpmn:collaboration id="${id}_collaboration">
    <bpmn:participant id="${id}_participant" name="${title}" processRef="${id}" />
  </bpmn:collaboration>
  <bpmn:process id="${id}" name="${title}" isExecutable="true">
    <bpmn:laneSet id="${id}_lanes">
      <bpmn:lane id="lane_first" name="${BLANK_LANES[0]}">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>first_task</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_second" name="${BLANK_LANES[1]}" />
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Started">
      <bpmn:outgoing>flow_start</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="first_task" name="First task">
      <bpmn:incoming>flow_start</bpmn:incoming>
      <bpmn:outgoing>flow_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Done">
      <bpmn:incoming>flow_done</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="first_task" />
    <bpmn:sequenceFlow id="flow_done" sourceRef="first_task" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${id}_diagram">
    <bpmndi:BPMNPlane id="${id}_plane" bpmnElement="${id}_collaboration">
      <bpmndi:BPMNShape id="${id}_participant_di" bpmnElement="${id}_participant" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="600" height="250" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="lane_first_di" bpmnElement="lane_first" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="570" height="125" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="lane_second_di" bpmnElement="lane_second" isHorizontal="true">
        <dc:Bounds x="150" y="205" width="570" height="125" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="202" y="124" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="first_task_di" bpmnElement="first_task">
        <dc:Bounds x="300" y="102" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end">
        <dc:Bounds x="472" y="124" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_start_di" bpmnElement="flow_start">
        <di:waypoint x="238" y="142" />
        <di:waypoint x="300" y="142" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="flow_done_di" bpmnElement="flow_done">
        <di:waypoint x="400" y="142" />
        <di:waypoint x="472" y="142" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
