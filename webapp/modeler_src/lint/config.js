/*
 * The bpmnlint configuration bpmn-js-bpmnlint expects ({ config, resolver }), built from our
 * rules alone: every structural rule is an error, as the deploy check refuses them all.
 */
import { RULES } from './structure-rules';

export const lintConfig = {
  config: { rules: Object.fromEntries(Object.keys(RULES).map(id => [ id, 'error' ])) },
  resolver: {
    resolveRule: (pkg, name) => (pkg === 'bpmnlint' ? RULES[name] : undefined) || null,
    resolveConfig: () => null,
  },
};
