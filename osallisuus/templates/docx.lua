--[[ pandoc Lua filter: the report's HTML (report.html.j2) as a Word document.
Used by osallisuus.export.docx. It
  * drops the level-1 heading that repeats the document title (pandoc writes the title from
    the metadata in the Title style) and moves the other headings up one level, so the
    report's sections are Word's Heading 1 and their subsections Heading 2; the title of
    the contents list gets the style "TOC Heading" (not a heading of its own);
  * turns a quote (a figure with class "quote": blockquote + figcaption) into a block quote
    followed by its source, instead of a one-cell table with an image caption;
  * right-aligns table columns whose body cells have class "num" and sets rows with class
    "total" in bold;
  * drops nbconvert's "¶" anchor links (class "anchor-link") after headings of markdown cells;
  * gives the notes under a table (paragraphs after the table in a "table-block") the
    paragraph style "Table Note", and a quote's source the style "Quote Source". ]]

local title = ""

local function has_class(attr, name)
  for _, c in ipairs(attr.classes) do
    if c == name then return true end
  end
  return false
end

function Meta(meta)
  if meta.title then title = pandoc.utils.stringify(meta.title) end
end

local function header(h)
  if has_class(h.attr, "toc-title") then   -- the contents list's title is not a section of the report
    return pandoc.Div({ pandoc.Para(h.content) }, { ["custom-style"] = "TOC Heading" })
  end
  if h.level == 1 and pandoc.utils.stringify(h.content) == title then
    return {}
  end
  h.level = math.max(1, h.level - 1)
  return h
end

local function figure(fig)
  if not has_class(fig.attr, "quote") then return nil end
  local out = pandoc.List()
  out:extend(fig.content)
  local source = pandoc.utils.blocks_to_inlines(fig.caption.long)
  if #source > 0 then
    out:insert(pandoc.Div({ pandoc.Para(source) }, { ["custom-style"] = "Quote Source" }))
  end
  return out
end

local function bold_row(row)
  for _, cell in ipairs(row.cells) do
    cell.contents = pandoc.walk_block(pandoc.Div(cell.contents), {
      Plain = function(p) return pandoc.Plain({ pandoc.Strong(p.content) }) end,
      Para = function(p) return pandoc.Para({ pandoc.Strong(p.content) }) end,
    }).content
  end
end

local function table(tbl)
  local numeric = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local col = 1
      for _, cell in ipairs(row.cells) do
        if has_class(cell.attr, "num") then numeric[col] = true end
        col = col + cell.col_span
      end
      if has_class(row.attr, "total") then bold_row(row) end
    end
  end
  for i, spec in ipairs(tbl.colspecs) do
    if numeric[i] then tbl.colspecs[i] = { pandoc.AlignRight, spec[2] } end
  end
  return tbl
end

local function div(d)
  if not has_class(d.attr, "table-block") then return nil end
  local seen_table = false
  for i, block in ipairs(d.content) do
    if block.t == "Table" then
      seen_table = true
    elseif seen_table and block.t == "Para" then
      d.content[i] = pandoc.Div({ block }, { ["custom-style"] = "Table Note" })
    end
  end
  return d
end

-- nbconvert's markdown filter ends every heading with a "¶" link to itself
local function link(l)
  if has_class(l.attr, "anchor-link") then return {} end
  return nil
end

return {
  { Meta = Meta, Link = link },
  { Header = header, Figure = figure, Table = table, Div = div },
}
