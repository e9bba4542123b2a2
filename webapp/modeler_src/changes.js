/*
 * Unsaved changes: any edit (a command on bpmn-js's command stack) or a file opened from
 * disk makes the diagram "changed" until a draft is saved or it is deployed. Leaving the
 * page then asks first: the browser's own prompt when the tab is closed or reloaded
 * (beforeunload), and an in-page dialog for the page's links and forms (sign out...).
 * Playwright accepts beforeunload prompts when a test listens for no dialog.
 */
export function createChangeTracker(modeler) {
  let edits = 0;
  let savedAt = 0; // the edit count the last save included: an edit made while saving stays unsaved
  const listeners = [];
  const changed = () => edits !== savedAt;
  const notify = () => listeners.forEach(listener => listener(changed()));
  const markChanged = () => {
    edits += 1;
    notify();
  };
  modeler.on('commandStack.changed', ({ trigger }) => {
    if (trigger !== 'clear') { // opening a diagram clears the stack: that is no edit
      markChanged();
    }
  });
  return {
    changed,
    markChanged,
    /** The edits so far, to hand to markSaved once what was sent is stored. */
    stamp: () => edits,
    markSaved: (at = edits) => {
      savedAt = at;
      notify();
    },
    onChange: listener => listeners.push(listener),
  };
}

function leavesThePage(anchor, event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return false;
  }
  const href = anchor.getAttribute('href');
  if (!href || href.startsWith('#') || anchor.hasAttribute('download') || (anchor.target && anchor.target !== '_self')) {
    return false;
  }
  return true;
}

/**
 * `dialog`: the page's <dialog> with buttons [data-leave="stay|save|discard"];
 * `saveDraft()`: resolves to true once the draft is saved.
 */
export function guardLeaving({ tracker, root, dialog, saveDraft }) {
  window.addEventListener('beforeunload', event => {
    if (tracker.changed()) {
      event.preventDefault();
      event.returnValue = ''; // older browsers need it set to show the prompt
    }
  });

  let leave = null;
  const ask = go => {
    leave = go;
    dialog.showModal();
  };
  dialog.addEventListener('click', async event => {
    const choice = event.target.closest('[data-leave]');
    if (!choice) {
      return;
    }
    const go = leave;
    if (choice.dataset.leave === 'stay') {
      dialog.close();
      return;
    }
    if (choice.dataset.leave === 'save' && !(await saveDraft())) {
      dialog.close(); // the status line says why it was not saved
      return;
    }
    tracker.markSaved(); // nothing left to ask about
    dialog.close();
    go();
  });

  document.addEventListener('click', event => {
    const anchor = event.target.closest && event.target.closest('a[href]');
    if (!anchor || !tracker.changed() || !leavesThePage(anchor, event) || dialog.contains(anchor)) {
      return;
    }
    event.preventDefault();
    ask(() => { window.location.assign(anchor.href); });
  }, true);

  document.addEventListener('submit', event => {
    const form = event.target;
    if (!tracker.changed() || root.contains(form) || dialog.contains(form)) {
      return;
    }
    event.preventDefault();
    ask(() => form.submit());
  }, true);
}
