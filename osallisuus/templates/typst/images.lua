-- pandoc filter for the PDF (osallisuus.export.pdf): no heading anchor links; an image in a notebook cell's HTML is
-- embedded in the Typst markup only if the HTML carries it as a data: URI; an image linked
-- by a file or web address is left out (nothing is read from disk or the network) and its
-- alt text stands in its place. An embedded image without alt text gets metadata default_alt.
local FORMATS = { ["image/svg+xml"] = "svg", ["image/png"] = "png", ["image/jpeg"] = "jpg" }

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

local function embed(img, default_alt)
  local ok, mime, contents = pcall(pandoc.mediabag.fetch, img.src)
  local fmt = ok and mime and FORMATS[mime:match("^[^;]+")]
  if not fmt or not contents then
    return nil
  end
  local numbers = {}
  for i = 1, #contents do
    numbers[i] = tostring(contents:byte(i))
  end
  local alt = pandoc.utils.stringify(img.caption)
  if alt == "" then alt = default_alt end
  return pandoc.RawInline("typst", "#image(bytes((" .. table.concat(numbers, ",") .. ",)), format: \""
    .. fmt .. "\", alt: " .. typst_string(alt) .. ")")
end

function Pandoc(doc)
  local default_alt = doc.meta.default_alt and pandoc.utils.stringify(doc.meta.default_alt) or "Image"
  return doc:walk {
    -- nbconvert's markdown filter ends each heading with a "¶" link to itself
    Link = function(link)
      if link.classes:includes("anchor-link") then return {} end
    end,
    Image = function(img)
      if img.src:match("^data:image/") then
        local embedded = embed(img, default_alt)
        if embedded then return embedded end
      end
      return img.caption
    end,
  }
end
