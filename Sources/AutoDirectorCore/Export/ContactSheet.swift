/// `index.html` of a bundle: a contact sheet of every exported shot that opens offline in a
/// browser — relative image paths, inline CSS, no script and nothing from the network — with
/// the image, shot id, version, review (reviewer and note), approval stages, retakes, assignee,
/// notes and short hash of each. Pinned notes are drawn on the picture, numbered as in the TUI
/// (markers placed in percent of the image, so they need no script and no copy of the image).
/// Images load lazily, so 10,000 of them stay usable. Every data string is escaped (`HTML.escape`).
enum ContactSheet {
    static func html(batch: Batch, entries: [JSONValue], stages: ApprovalStages = .single) -> String {
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
            .pic{position:relative;background:#e9ebef;border-radius:4px;overflow:hidden}
            .pic img{width:100%;height:auto;display:block}
            .none{width:100%;aspect-ratio:1;background:#e9ebef;border-radius:4px;display:flex;align-items:center;justify-content:center;color:#8a909c}
            .pin,.box{position:absolute;box-sizing:border-box;font:700 11px/16px system-ui,sans-serif;color:#1d2330}
            .pin{width:18px;height:18px;margin:-9px 0 0 -9px;border-radius:50%;text-align:center;border:1px solid #1d2330}
            .box{border:2px solid}.box b{position:absolute;left:0;top:0;padding:0 3px}
            .pin.open,.box.open b{background:#ffb300}.box.open{border-color:#ffb300}
            .pin.resolved,.box.resolved b{background:#b0b4bb}.box.resolved{border-color:#b0b4bb}
            .review{color:#3d4450}.threads{margin:.2rem 0 0;padding-left:1.1rem;color:#3d4450}.threads .resolved{color:#8a909c}
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
            let threads = entry["notes"]?.arrayValue ?? []
            if let file = entry["file"]?.stringValue {
                out += "<div class=\"pic\"><img src=\"\(HTML.escape(file))\" alt=\"\(label)\" loading=\"lazy\" decoding=\"async\">"
                out += threads.map(marker).joined()
                out += "</div>"
            } else {
                out += "<div class=\"none\">not rendered</div>"
            }
            out += "<div class=\"id\">\(label)</div>"
            var status = HTML.escape(review)
            if let reviewer = entry["reviewer"]?.stringValue { status += " by " + HTML.escape(reviewer) }
            out += "<div class=\"\(["approved", "rejected"].contains(review) ? review : "pending")\">\(status)</div>"
            if let note = entry["note"]?.stringValue { out += "<div class=\"note\">\(HTML.escape(note))</div>" }
            out += "<div class=\"review\">\(HTML.escape(details(entry, stages: stages)))</div>"
            if !threads.isEmpty { out += "<ol class=\"threads\">" + threads.map(item).joined() + "</ol>" }
            out += "<div class=\"hash\">\(HTML.escape(String((entry["hash"]?.stringValue ?? "").prefix(12))))</div></li>\n"
        }
        return out + "</ul>\n</body>\n</html>\n"
    }

    /// `art ✓ brand · · 1 retake · assigned to ana`.
    private static func details(_ entry: JSONValue, stages: ApprovalStages) -> String {
        var parts: [String] = []
        if stages.isStaged {
            let approved = entry["approved_stages"]?.arrayValue?.compactMap(\.stringValue) ?? []
            parts.append(stages.progress(approved: approved, status: ReviewStatus(rawValue: entry["review"]?.stringValue ?? "") ?? .pending))
        }
        let retakes = Int(entry["retakes"]?.numberValue ?? 0)
        parts.append(retakes == 1 ? "1 retake" : "\(retakes) retakes")
        if let assignee = entry["assignee"]?.stringValue { parts.append("assigned to \(assignee)") }
        return parts.joined(separator: " · ")
    }

    /// A thread's numbered marker on the picture: a disc at a point, a frame over a rectangle.
    private static func marker(_ thread: JSONValue) -> String {
        guard let pin = thread["pin"], let x = pin["x"]?.numberValue, let y = pin["y"]?.numberValue else { return "" }
        let number = Int(thread["number"]?.numberValue ?? 0)
        let state = thread["state"] == "resolved" ? "resolved" : "open"
        var style = "left:\(percent(x));top:\(percent(y))"
        if let width = pin["w"]?.numberValue, let height = pin["h"]?.numberValue {
            style += ";width:\(percent(width));height:\(percent(height))"
            return "<span class=\"box \(state)\" style=\"\(style)\"><b>\(number)</b></span>"
        }
        return "<span class=\"pin \(state)\" style=\"\(style)\">\(number)</span>"
    }

    /// `#1 ana: text`, with its replies, as a list item.
    private static func item(_ thread: JSONValue) -> String {
        let state = thread["state"]?.stringValue ?? "open"
        var text = "#\(Int(thread["number"]?.numberValue ?? 0)) [\(state)] \(thread["author"]?.stringValue ?? ""): \(thread["text"]?.stringValue ?? "")"
        for reply in thread["replies"]?.arrayValue ?? [] {
            text += " — \(reply["author"]?.stringValue ?? ""): \(reply["text"]?.stringValue ?? "")"
        }
        return "<li class=\"\(state == "resolved" ? "resolved" : "open")\">\(HTML.escape(text))</li>"
    }

    /// A coordinate in 0…1 as a CSS percentage with at most two decimals (pins keep four).
    private static func percent(_ value: Double) -> String {
        let hundredths = Int((min(max(value, 0), 1) * 10_000).rounded())
        let (whole, fraction) = (hundredths / 100, hundredths % 100)
        if fraction == 0 { return "\(whole)%" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)%" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
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
