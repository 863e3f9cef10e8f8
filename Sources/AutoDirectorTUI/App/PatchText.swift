import AutoDirectorCore

/// The text of the patch prompt: assignments separated by spaces or `;`, a value in double
/// quotes may hold spaces (`subject="Red Mug" camera.fov=60`).
public enum PatchText {
    public static func assignments(_ text: String) throws -> [DottedAssignment] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var depth = 0
        for character in text {
            switch character {
            case "\"": quoted.toggle(); current.append(character)
            case "[", "{": if !quoted { depth += 1 }; current.append(character)
            case "]", "}": if !quoted { depth -= 1 }; current.append(character)
            case " ", ";":
                if quoted || depth > 0 {
                    current.append(character)
                } else {
                    if !current.isEmpty { parts.append(current) }
                    current = ""
                }
            default: current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return try parts.map(DottedAssignment.init(parsing:))
    }
}
