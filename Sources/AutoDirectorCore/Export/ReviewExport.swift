/// What a bundle says of a version's review beyond its status (SPEC §17): the approval stages
/// that have approved it, the shot's retakes and assignee, and its notes as threads (open and
/// resolved, with author, time and pin; withdrawn ones left out). The manifest carries them;
/// `report.md` and the contact sheet are written from the manifest's entries.
enum ReviewExport {
    static func fields(shotID: String, version: Int, reviews: ExportedReviews) -> [JSONMember] {
        let key = VersionKey(shotID: shotID, version: version)
        return [
            JSONMember("approved_stages", .array((reviews.approvedStages[key] ?? []).map(JSONValue.string))),
            JSONMember("retakes", .number(Double(reviews.retakes[shotID] ?? 0))),
            JSONMember("assignee", reviews.assignees[shotID].map(JSONValue.string) ?? .null),
            JSONMember("notes", .array(NoteThread.threads(of: reviews.notes[key] ?? []).map(\.json))),
        ]
    }

    /// Open and resolved threads among an entry's notes.
    static func noteCounts(_ entry: JSONValue) -> (open: Int, resolved: Int) {
        let threads = entry["notes"]?.arrayValue ?? []
        return (threads.filter { $0["state"] == "open" }.count, threads.filter { $0["state"] == "resolved" }.count)
    }

    /// `report.md`'s section of notes: each version's threads with their replies.
    static func markdownNotes(_ entries: [JSONValue]) -> [String] {
        var lines: [String] = []
        for entry in entries {
            let threads = entry["notes"]?.arrayValue ?? []
            guard !threads.isEmpty else { continue }
            lines += ["", "### \(TextSanitizer.visible(entry["shot_id"]?.stringValue ?? "")) v\(Int(entry["version"]?.numberValue ?? 0))", ""]
            for thread in threads {
                var line = "- #\(Int(thread["number"]?.numberValue ?? 0)) [\(thread["state"]?.stringValue ?? "")]"
                if thread["retake"] == true { line += " retake" }
                line += " \(author(thread)): \(Markdown.inline(thread["text"]?.stringValue ?? ""))"
                if let pin = thread["pin"] { line += " (pinned at \(pinText(pin)))" }
                if let by = thread["changed_by"]?.stringValue, let at = thread["changed_at"]?.stringValue, thread["state"] != "open" {
                    line += " — \(thread["state"]?.stringValue ?? "") by \(Markdown.inline(by)), \(at)"
                }
                lines.append(line)
                for reply in thread["replies"]?.arrayValue ?? [] {
                    lines.append("  - \(author(reply)): \(Markdown.inline(reply["text"]?.stringValue ?? ""))")
                }
            }
        }
        return lines.isEmpty ? [] : ["", "## Notes"] + lines
    }

    private static func author(_ note: JSONValue) -> String {
        "\(Markdown.inline(note["author"]?.stringValue ?? "")), \(note["created_at"]?.stringValue ?? "")"
    }

    /// `x,y` or `x,y,w,h`, as the command line takes a pin.
    static func pinText(_ pin: JSONValue) -> String {
        ["x", "y", "w", "h"].compactMap { pin[$0] }.map(JSONWriter.compact).joined(separator: ",")
    }
}

/// Text inside a Markdown line or table cell: visible, on one line, with no `|` to end a cell.
enum Markdown {
    static func inline(_ text: String) -> String {
        TextSanitizer.visible(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
    }
}
