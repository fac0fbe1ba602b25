#include "host/nightly/markdown_html.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace astra {
namespace {

std::vector<std::string> table_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {  // past the leading '|'
    if (line[i] == '|') {
      const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  return cells;
}

// Escapes, then **bold** and `code`.
std::string inline_html(const std::string& text) {
  const std::string escaped = html_escape(text);
  std::string out;
  bool bold = false, code = false;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped.compare(i, 2, "**") == 0 && !code) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else if (escaped[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else {
      out.push_back(escaped[i]);
    }
  }
  if (bold) out += "</strong>";
  if (code) out += "</code>";
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], digits[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {digits[v >> 18], digits[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], '='};
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string markdown_to_html(const std::string& markdown, const std::string& title, const std::string& base_dir) {
  std::string body;
  std::istringstream in(markdown);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  std::string paragraph;
  auto flush_paragraph = [&] {
    if (!paragraph.empty()) body += "<p>" + inline_html(paragraph) + "</p>\n";
    paragraph.clear();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.rfind("### ", 0) == 0 || l.rfind("## ", 0) == 0 || l.rfind("# ", 0) == 0) {
      flush_paragraph();
      const std::size_t level = l.find(' ');
      body += "<h" + std::to_string(level) + ">" + inline_html(l.substr(level + 1)) + "</h" + std::to_string(level) + ">\n";
    } else if (l.rfind("|", 0) == 0) {
      flush_paragraph();
      body += "<table>\n";
      bool header = true;
      for (; i < lines.size() && lines[i].rfind("|", 0) == 0; ++i) {
        if (lines[i].rfind("|---", 0) == 0) continue;
        body += "<tr>";
        for (const std::string& cell : table_cells(lines[i]))
          body += (header ? "<th>" : "<td>") + inline_html(cell) + (header ? "</th>" : "</td>");
        body += "</tr>\n";
        header = false;
      }
      --i;
      body += "</table>\n";
    } else if (l.rfind("- ", 0) == 0) {
      flush_paragraph();
      body += "<ul>\n";
      for (; i < lines.size() && lines[i].rfind("- ", 0) == 0; ++i) body += "<li>" + inline_html(lines[i].substr(2)) + "</li>\n";
      --i;
      body += "</ul>\n";
    } else if (l.rfind("![", 0) == 0 && l.find("](") != std::string::npos && l.back() == ')') {
      flush_paragraph();
      const std::size_t mid = l.find("](");
      const std::string alt = l.substr(2, mid - 2), path = l.substr(mid + 2, l.size() - mid - 3);
      std::ifstream image(base_dir + "/" + path, std::ios::binary);
      std::stringstream bytes;
      bytes << image.rdbuf();
      if (image && !bytes.str().empty())
        body += "<figure><img alt=\"" + html_escape(alt) + "\" src=\"data:image/png;base64," + base64_encode(bytes.str()) +
                "\"><figcaption>" + html_escape(alt) + "</figcaption></figure>\n";
      else
        body += "<p><em>(plot " + html_escape(path) + " is missing)</em></p>\n";
    } else if (l.empty()) {
      flush_paragraph();
    } else {
      paragraph += (paragraph.empty() ? "" : " ") + l;
    }
  }
  flush_paragraph();
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
         "</title>\n<style>\n"
         "body { font-family: sans-serif; margin: 2em; max-width: 1100px; color: #222; }\n"
         "table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }\n"
         "th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }\n"
         "th { background: #eee; }\n"
         "img { max-width: 100%; border: 1px solid #ddd; }\n"
         "code { background: #f4f4f4; padding: 0 0.2em; }\n"
         "</style>\n</head>\n<body>\n" +
         body + "</body>\n</html>\n";
}

}  // namespace astra
