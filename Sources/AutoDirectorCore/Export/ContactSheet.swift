/// `index.html` of a bundle: a contact sheet of every exported shot that opens offline in a
/// browser — relative image paths, inline CSS, no script and nothing from the network — with
/// the image, shot id, version, review (reviewer and note) and short hash of each. Images load
/// lazily, so 10,000 of them stay usable. Every data string is escaped (`HTML.escape`).
enum ContactSheet {
    static func html(batch: Batch, entries: [JSONValue]) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
            <title>\(HTML.escape("Batch \(batch.id)"))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;background:#f4f5f7;color:#1d2330}
            h1{font-size:1.3rem;margin:0 0 .3rem}p.meta{margin:0 0 1rem;color:#5a6270}
            ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.8rem}
            li{background:#fff;border-radius:6px;padding:.5rem;box-shadow:0 1px 2px rgba(0,0,0,.12)}
            img,.none{width:100%;aspect-ratio:1;object-fit:contain;background:#e9ebef;border-radius:4px;display:block}
            .none{display:flex;align-items:center;justify-content:center;color:#8a909c}
            .id{font-weight:600;word-break:break-all}.hash{font-family:ui-monospace,monospace;color:#5a6270}
            .approved{color:#1a7f37}.rejected{color:#c62828}.pending{color:#8a6d00}.note{color:#3d4450;font-style:italic}
            </style>
            </head>
            <body>
            <h1>\(HTML.escape("Batch \(batch.id)"))</h1>
            <p class="meta">\(HTML.escape("\(entries.count) shots · source \(batch.sourceName) · preset \(batch.preset ?? "none")"))</p>
            <ul>

            """
        for entry in entries {
            let id = entry["shot_id"]?.stringValue ?? ""
            let version = Int(entry["version"]?.numberValue ?? 0)
            let review = entry["review"]?.stringValue ?? "pending"
            let label = HTML.escape("\(id) v\(version)")
            out += "<li>"
            if let file = entry["file"]?.stringValue {
                out += "<img src=\"\(HTML.escape(file))\" alt=\"\(label)\" loading=\"lazy\" decoding=\"async\">"
            } else {
                out += "<div class=\"none\">not rendered</div>"
            }
            out += "<div class=\"id\">\(label)</div>"
            var status = HTML.escape(review)
            if let reviewer = entry["reviewer"]?.stringValue { status += " by " + HTML.escape(reviewer) }
            out += "<div class=\"\(["approved", "rejected"].contains(review) ? review : "pending")\">\(status)</div>"
            if let note = entry["note"]?.stringValue { out += "<div class=\"note\">\(HTML.escape(note))</div>" }
            out += "<div class=\"hash\">\(HTML.escape(String((entry["hash"]?.stringValue ?? "").prefix(12))))</div></li>\n"
        }
        return out + "</ul>\n</body>\n</html>\n"
    }
}

/// Text as HTML character data or a quoted attribute value: the five markup characters become
/// entities, and control or invisible characters their visible escapes first.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in TextSanitizer.visible(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
