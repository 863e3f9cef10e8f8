/// Whether the user asked for no colour: no-color.org says NO_COLOR present and not empty,
/// whatever its value. The one rule for every part of the TUI that decides on colours (curses'
/// palette, what the views draw, the image modes).
public enum NoColor {
    public static func requested(by environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }
}
