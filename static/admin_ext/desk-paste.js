/* Paste that cleans like a desk editor: what Word and Google Docs put on the clipboard, made plain HTML.

   - Word's lists (paragraphs styled "mso-list: l0 level1", their bullet typed as "·" and seven no-break
     spaces) become real lists, nested by level, numbered when their marker is a number or a letter;
   - Google Docs' lists keep their nesting (aria-level), its bold and italic spans become <strong> and <em>;
   - empty paragraphs (Word's <o:p>&nbsp;</o:p>, Google Docs' <br> between blocks) disappear;
   - links keep their exact address; anchors without one (Word's bookmarks) are unwrapped;
   - styles, classes, fonts and Office markup are dropped: the site's stylesheets style the text and tables.

   Loaded by django-prose-editor as the "DeskPaste" extension (settings.DJANGO_PROSE_EDITOR_EXTENSIONS). */
import { Extension, Plugin } from "django-prose-editor/editor";

const KEPT_ATTRIBUTES = { a: ["href", "title"], ol: ["start"], td: ["colspan", "rowspan"], th: ["colspan", "rowspan"] };
const BLOCKS = "p, h1, h2, h3, h4, h5, h6, div, li, blockquote";
const EMPTY_TEXT = /^[\s\u00a0\u200b]*$/;

function unwrap(element) {
  element.replaceWith(...element.childNodes);
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((comment) => comment.remove());
}

function styleOf(element) {
  return (element.getAttribute("style") || "").toLowerCase().replace(/\s+/g, "");
}

// -- Word --------------------------------------------------------------------------------------------------

function wordListItem(paragraph) {
  const style = styleOf(paragraph);
  const match = /mso-list:(l\d+)level(\d+)/.exec(style);
  if (!match && !/MsoListParagraph/i.test(paragraph.className || "")) return null;
  const marker = Array.from(paragraph.querySelectorAll("span")).find((s) => styleOf(s).includes("mso-list:ignore"));
  const text = marker ? marker.textContent.replace(/[\s\u00a0]+/g, "") : "";
  const ordered = /^\(?([0-9]+|[a-z]|[ivxlcdm]+)[.)]$/i.test(text);
  if (marker) {
    let gone = marker;
    // The marker's wrappers (the Symbol font span) go with it when nothing else is in them.
    while (gone.parentElement && gone.parentElement !== paragraph && EMPTY_TEXT.test(gone.parentElement.textContent.replace(gone.textContent, ""))) {
      gone = gone.parentElement;
    }
    gone.remove();
  }
  return { list: match ? match[1] : "l0", level: match ? Number(match[2]) : 1, ordered };
}

function convertWordLists(root) {
  const paragraphs = Array.from(root.querySelectorAll("p"));
  let stack = [];
  let previous = null;
  for (const paragraph of paragraphs) {
    const item = wordListItem(paragraph);
    if (!item) {
      stack = [];
      previous = null;
      continue;
    }
    // A run of list paragraphs is one list: the next list paragraph must follow this one directly.
    const adjacent = previous && nextElement(previous.source) === paragraph;
    if (!adjacent) stack = [];
    while (stack.length && stack[stack.length - 1].level > item.level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < item.level || top.ordered !== item.ordered) {
      if (top && top.level === item.level) stack.pop();
      const list = root.ownerDocument.createElement(item.ordered ? "ol" : "ul");
      const parent = stack[stack.length - 1];
      if (parent && parent.list.lastElementChild) parent.list.lastElementChild.append(list);
      else paragraph.before(list);
      top = { level: item.level, ordered: item.ordered, list };
      stack.push(top);
    }
    const li = root.ownerDocument.createElement("li");
    const p = root.ownerDocument.createElement("p");
    p.append(...paragraph.childNodes);
    li.append(p);
    top.list.append(li);
    previous = { source: placeholderFor(paragraph) };
  }
}

// The paragraph leaves the document once converted; a marker keeps its place for the adjacency test.
function placeholderFor(paragraph) {
  const marker = paragraph.ownerDocument.createComment("list-item");
  paragraph.replaceWith(marker);
  return marker;
}

function nextElement(node) {
  let next = node.nextSibling;
  while (next && ((next.nodeType === Node.TEXT_NODE && EMPTY_TEXT.test(next.textContent)) || next.nodeType === Node.COMMENT_NODE)) {
    next = next.nextSibling;
  }
  return next;
}

// -- Google Docs ---------------------------------------------------------------------------------------------

function nestByAriaLevel(root) {
  root.querySelectorAll("ul, ol").forEach((list) => {
    const items = Array.from(list.children).filter((li) => li.tagName === "LI");
    if (!items.some((li) => Number(li.getAttribute("aria-level") || 1) > 1)) return;
    const stack = [{ level: 1, list }];
    for (const li of items) {
      const level = Number(li.getAttribute("aria-level") || 1);
      while (stack.length > 1 && stack[stack.length - 1].level > level) stack.pop();
      let top = stack[stack.length - 1];
      if (level > top.level && top.list.lastElementChild) {
        const nested = root.ownerDocument.createElement(list.tagName.toLowerCase());
        top.list.lastElementChild.append(nested);
        top = { level, list: nested };
        stack.push(top);
      }
      top.list.append(li);
    }
  });
}

function marksFromStyles(root) {
  root.querySelectorAll("span").forEach((span) => {
    const style = styleOf(span);
    const wrappers = [];
    if (/font-weight:(bold|[6-9]00)/.test(style)) wrappers.push("strong");
    if (/font-style:italic/.test(style)) wrappers.push("em");
    if (/text-decoration:[^;]*underline/.test(style) && !span.closest("a")) wrappers.push("u");
    if (/text-decoration:[^;]*line-through/.test(style)) wrappers.push("s");
    if (/vertical-align:super/.test(style)) wrappers.push("sup");
    if (/vertical-align:sub/.test(style)) wrappers.push("sub");
    let inner = span;
    for (const tag of wrappers) {
      const mark = root.ownerDocument.createElement(tag);
      mark.append(...inner.childNodes);
      inner.append(mark);
      inner = mark;
    }
  });
  // Google Docs wraps the whole paste in <b style="font-weight:normal">: not bold.
  root.querySelectorAll("b").forEach((b) => {
    if (/font-weight:(normal|[1-4]00)/.test(styleOf(b))) unwrap(b);
  });
}

// -- both ------------------------------------------------------------------------------------------------------

// A first row whose every cell is bold is the table's head: header cells, which screen readers announce.
function headerRows(root) {
  root.querySelectorAll("table").forEach((table) => {
    const rows = Array.from(table.querySelectorAll("tr")).filter((tr) => tr.closest("table") === table);
    if (rows.length < 2) return;
    const cells = Array.from(rows[0].children).filter((cell) => /^T[DH]$/.test(cell.tagName));
    const bold = (cell) => {
      const text = cell.textContent.replace(/\s+/g, "");
      const strong = Array.from(cell.querySelectorAll("b, strong")).map((b) => b.textContent).join("").replace(/\s+/g, "");
      return text.length > 0 && strong === text;
    };
    if (!cells.length || !cells.every(bold)) return;
    cells.forEach((cell) => {
      const th = cell.ownerDocument.createElement("th");
      Array.from(cell.attributes).forEach((a) => th.setAttribute(a.name, a.value));
      th.append(...cell.childNodes);
      th.querySelectorAll("b, strong").forEach(unwrap);
      cell.replaceWith(th);
    });
  });
}

function dropEmpty(root) {
  root.querySelectorAll("o\\:p").forEach((element) => unwrap(element));
  Array.from(root.querySelectorAll(BLOCKS))
    .reverse()
    .forEach((block) => {
      if (block.tagName === "LI") return;
      if (EMPTY_TEXT.test(block.textContent) && !block.querySelector("img, table, hr")) block.remove();
    });
  // Line breaks left between blocks (Google Docs' empty lines) or at a block's edges.
  root.querySelectorAll("br").forEach((br) => {
    const parent = br.parentElement;
    if (parent === root || !parent.matches("p, li, td, th, h1, h2, h3, h4, h5, h6, blockquote, span, strong, em, b, i, u")) {
      br.remove();
      return;
    }
    const block = br.closest("p, li, td, th, h1, h2, h3, h4, h5, h6") || parent;
    const text = block.textContent;
    if (!block.lastChild || block.lastChild === br || EMPTY_TEXT.test(text)) br.remove();
  });
}

function strip(root) {
  root.querySelectorAll("style, meta, link, script, title, xml, template").forEach((element) => element.remove());
  root.querySelectorAll("a:not([href])").forEach(unwrap);
  root.querySelectorAll("font, span, div").forEach(unwrap);
  root.querySelectorAll("*").forEach((element) => {
    const kept = KEPT_ATTRIBUTES[element.tagName.toLowerCase()] || [];
    Array.from(element.attributes).forEach((attribute) => {
      if (!kept.includes(attribute.name)) element.removeAttribute(attribute.name);
    });
  });
  root.querySelectorAll("b").forEach((b) => b.replaceWith(renamed(b, "strong")));
  root.querySelectorAll("i").forEach((i) => i.replaceWith(renamed(i, "em")));
}

function renamed(element, tag) {
  const replacement = element.ownerDocument.createElement(tag);
  replacement.append(...element.childNodes);
  return replacement;
}

/** The clipboard's HTML as plain, clean HTML (exported for the browser tests). */
export function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const root = doc.body;
  removeComments(root);
  root.querySelectorAll('b[id^="docs-internal-guid"]').forEach(unwrap);
  marksFromStyles(root);
  convertWordLists(root);
  removeComments(root);
  nestByAriaLevel(root);
  headerRows(root);
  dropEmpty(root);
  strip(root);
  return root.innerHTML.replace(/ {2,}/g, " ").trim();
}

export const DeskPaste = Extension.create({
  name: "deskPaste",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          transformPastedHTML: cleanPastedHTML,
          // Tiptap's Link turns pasted text that looks like an address into a link of its own making:
          // "www.ose-immuno.com", the text of a link to https://www.ose-immuno.com/en/, became a link to
          // http://www.ose-immuno.com (scheme changed, path lost). Its paste rules run on transactions marked
          // as a paste by the user interface; this inserts the cleaned paste as ProseMirror would, without that
          // mark, so every link keeps the exact address it came with.
          handlePaste(view, _event, slice) {
            if (!slice || !slice.content.size) return false;
            const single = slice.openStart === 0 && slice.openEnd === 0 && slice.content.childCount === 1 ? slice.content.firstChild : null;
            const tr = single ? view.state.tr.replaceSelectionWith(single) : view.state.tr.replaceSelection(slice);
            view.dispatch(tr.scrollIntoView().setMeta("paste", true));
            return true;
          },
        },
      }),
    ];
  },
});
