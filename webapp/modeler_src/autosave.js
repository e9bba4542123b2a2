/*
 * Autosave: every `seconds` (SECRETARIAT_MODELER_AUTOSAVE_SECONDS, 0 = never) a changed
 * diagram is saved as the manager's draft, and the status says when it was last saved.
 */
export function startAutosave({ tracker, seconds, saveDraft, status, texts }) {
  const savedAt = () => new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  status.textContent = seconds > 0 ? texts.autosaveOn.replace('{seconds}', String(seconds)) : texts.autosaveOff;
  tracker.onChange(changed => {
    if (changed) {
      status.dataset.state = 'changed';
      status.textContent = texts.unsaved;
    }
  });
  let busy = false;
  const tick = async () => {
    if (busy || !tracker.changed()) {
      return;
    }
    busy = true;
    try {
      await saveDraft({ automatic: true });
    } finally {
      busy = false;
    }
  };
  const timer = seconds > 0 ? window.setInterval(tick, seconds * 1000) : null;
  return {
    /** Called after every successful save, automatic or not. */
    saved(automatic) {
      status.dataset.state = 'saved';
      status.textContent = (automatic ? texts.autosaved : texts.saved).replace('{time}', savedAt());
    },
    failed(reason) {
      status.dataset.state = 'failed';
      status.textContent = texts.autosaveFailed.replace('{reason}', reason);
    },
    stop: () => timer && window.clearInterval(timer),
  };
}
