// The lab's code editor: CodeMirror 6 with Python highlighting, indentation, undo and error
// markers, mounted in a shadow root (there CodeMirror styles itself with constructed style
// sheets, which the page's content security policy allows). esbuild bundles this file and its
// imports into one module, lab-editor.js (see Trunk.toml), which lab.js loads on demand.
import { EditorView, basicSetup } from 'codemirror';
import { python } from '@codemirror/lang-python';
import { keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { Prec } from '@codemirror/state';
import { indentUnit, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { lintGutter, setDiagnostics } from '@codemirror/lint';

// The editor grows with the code (the page scrolls down, not a box inside it); a long line
// wraps (on a phone a sideways scroll would hide most of it).
const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid #8a8f98', borderRadius: '4px', background: '#fff', maxWidth: '100%' },
  '&.cm-focused': { outline: '3px solid #b3400a', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '12em', overflowX: 'auto', overflowY: 'hidden' },
  '.cm-gutters': { background: '#f4f5f7', color: '#4b5160', borderRight: '1px solid #d8dbe0' },
});

// Colours that keep at least 4.5:1 against the white background (CodeMirror's own default
// highlighting has an orange that does not).
const colours = HighlightStyle.define([
  { tag: tags.keyword, color: '#7a1fa2' },
  { tag: [tags.string, tags.special(tags.string)], color: '#1a6b12' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: '#0b4f8a' },
  { tag: tags.comment, color: '#5f6368', fontStyle: 'italic' },
  { tag: [tags.definition(tags.variableName), tags.function(tags.definition(tags.variableName))], color: '#0b5752' },
  { tag: [tags.className, tags.definition(tags.className)], color: '#7a3e00' },
  { tag: [tags.processingInstruction, tags.escape, tags.special(tags.variableName)], color: '#8a3b00' },
  { tag: tags.invalid, color: '#b42318' },
]);

/// An editor in `host` holding `doc`. `onRun` is called for Ctrl+Enter (Cmd+Enter), `onChange`
/// after each edit.
export function createEditor(host, doc, { onRun = () => {}, onChange = () => {}, label = 'Python code' } = {}) {
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  const mount = document.createElement('div');
  root.replaceChildren(mount);
  const view = new EditorView({
    doc,
    parent: mount,
    root,
    extensions: [
      basicSetup,
      python(),
      syntaxHighlighting(colours),
      indentUnit.of('    '),
      // Ctrl+Enter runs: above the default keymap, where it would insert a blank line.
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }])),
      keymap.of([indentWithTab]),
      lintGutter(),
      EditorView.lineWrapping,
      theme,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.updateListener.of((update) => { if (update.docChanged) onChange(); }),
    ],
  });
  const position = (line, column) => {
    const count = view.state.doc.lines;
    const at = view.state.doc.line(Math.min(Math.max(line, 1), count));
    return Math.min(at.from + Math.max(column - 1, 0), at.to);
  };
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    /// Marks an error at 1-based `line` and `column` (a syntax error: its place and message).
    markError(line, column, message) {
      const from = position(line, column);
      const lineEnd = view.state.doc.lineAt(from).to;
      const to = Math.max(Math.min(from + 1, lineEnd), from);
      view.dispatch(setDiagnostics(view.state, [{ from, to: to === from ? from : to, severity: 'error', message }]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    },
    clearErrors: () => view.dispatch(setDiagnostics(view.state, [])),
    focus: () => view.focus(),
  };
}
