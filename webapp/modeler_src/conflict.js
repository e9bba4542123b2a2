/*
 * A deployment refused because someone deployed meanwhile (409 with `newer_versions`): who
 * deployed which version when, the comparison of the version this edit started from with
 * the newer one, and the latest version to re-open (after saving a draft, if wanted).
 */
function link(href, text) {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.textContent = text;
  return anchor;
}

export function showConflict(box, newer, texts) {
  box.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = texts.conflictTitle;
  box.appendChild(heading);
  newer.forEach(version => {
    const line = document.createElement('p');
    line.className = 'conflict-who';
    line.textContent = texts.conflictWho
      .replace('{key}', version.key).replace('{version}', String(version.latest_version))
      .replace('{who}', version.deployed_by_name || version.deployed_by || '?')
      .replace('{when}', `${version.deployed_at.replace('T', ' ')} UTC`)
      .replace('{based_on}', String(version.based_on));
    box.appendChild(line);
    const actions = document.createElement('p');
    actions.className = 'conflict-actions';
    actions.append(
      link(version.compare_url, texts.conflictCompare.replace('{old}', String(version.based_on))
        .replace('{new}', String(version.latest_version))),
      ' · ',
      link(version.latest_url, texts.conflictReopen.replace('{version}', String(version.latest_version))));
    box.appendChild(actions);
  });
  const hint = document.createElement('p');
  hint.className = 'muted';
  hint.textContent = texts.conflictHint;
  box.appendChild(hint);
  box.hidden = false;
}

export function hideConflict(box) {
  box.replaceChildren();
  box.hidden = true;
}
