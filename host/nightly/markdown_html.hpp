// The small Markdown subset that reports are written in, turned into one self-contained HTML
// page: headings (#, ##, ###), paragraphs with **bold** and `code`, "- " lists, pipe tables and
// image lines "![alt](relative/path.png)", whose PNG is embedded as a base64 data URI.
#pragma once

#include <string>
#include <string_view>

namespace astra {

std::string base64_encode(std::string_view bytes);
std::string html_escape(std::string_view text);
// `base_dir` resolves image paths; an image that cannot be read becomes a note in the page.
std::string markdown_to_html(const std::string& markdown, const std::string& title, const std::string& base_dir);

}  // namespace astra
