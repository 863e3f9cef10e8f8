import AutoDirectorCore
import Foundation

/// The Notes tab's text: the retake notes this version answers, then each thread under its
/// number (the number its pin carries on the picture), its state, author, time and pin, the
/// note and its replies.
enum NotesText {
    static func lines(_ notes: VersionNotes) -> [String] {
        var lines: [String] = []
        if !notes.answers.isEmpty {
            lines.append("Answers the retake notes of v\(notes.version - 1):")
            for thread in notes.answers { lines.append("  #\(thread.number) \(thread.note.state.rawValue)  \(thread.note.body)") }
            if notes.answers.contains(where: \.note.isOpen) { lines.append("  (X resolves the first open one)") }
            lines.append("")
        }
        if notes.threads.isEmpty {
            lines.append("No notes on v\(notes.version). n writes one (pinned on the picture, or s for none).")
            return lines
        }
        lines.append("\(notes.threads.count) note\(notes.threads.count == 1 ? "" : "s") on v\(notes.version), \(notes.openCount) open · ] and [ step through the open ones")
        for thread in notes.threads {
            let note = thread.note
            var head = "#\(thread.number) \(note.state.rawValue)  \(note.author)  \(DetailLoader.timestamp(note.createdAt))"
            if note.isRetake { head += "  retake" }
            if let pin = note.pin { head += "  pin \(pin.text)" }
            if let by = note.changedBy, note.state != .open { head += "  (\(note.state.rawValue) by \(by))" }
            lines.append("")
            lines.append(head)
            lines.append("    \(note.body)")
            for reply in thread.replies {
                lines.append("    ↳ \(reply.author) \(DetailLoader.timestamp(reply.createdAt)): \(reply.body)")
            }
        }
        return lines
    }

    /// The line where thread `number` starts, for scrolling to it.
    static func firstLine(of number: Int, in notes: VersionNotes) -> Int {
        lines(notes).firstIndex { $0.hasPrefix("#\(number) ") } ?? 0
    }
}
