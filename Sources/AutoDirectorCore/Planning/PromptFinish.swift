import Foundation

extension StructuredPromptCompiler {
    /// A finish attribute, bucketed for surface wording; the raw value is kept for unknown finishes.
    struct Finish {
        enum Kind { case glossy, satin, matte, metallic, brushed, textured, softTouch, other }

        let kind: Kind
        let raw: String

        init(_ raw: String) {
            self.raw = raw
            let value = raw.lowercased()
            if value.contains("soft-touch") || value.contains("soft touch") || value.contains("rubber") {
                kind = .softTouch
            } else if value.contains("satin") || value.contains("semi-gloss") || value.contains("semigloss")
                || value.contains("eggshell") || value.contains("silk") {
                kind = .satin
            } else if value.contains("gloss") || value.contains("lacquer") || value.contains("shiny") {
                kind = .glossy
            } else if value.contains("matte") || value.contains("matt") || value.contains("frosted") {
                kind = .matte
            } else if value.contains("brushed") {
                kind = .brushed
            } else if value.contains("metallic") || value.contains("chrome") || value.contains("polished")
                || value.contains("mirror") {
                kind = .metallic
            } else if value.contains("textur") || value.contains("grain") {
                kind = .textured
            } else {
                kind = .other
            }
        }

        /// Texture wording, e.g. "glossy, reflective surface".
        var surface: String {
            switch kind {
            case .glossy: return "Glossy, reflective surface"
            case .satin: return "Satin, softly reflective surface"
            case .matte: return "Matte, non-reflective surface"
            case .metallic: return "Polished, highly reflective metallic surface"
            case .brushed: return "Brushed surface with fine directional grain"
            case .textured: return "Textured, tactile surface"
            case .softTouch: return "Soft-touch, velvety matte surface"
            case .other: return "Surface with a \(raw) finish"
            }
        }

        var appearance: String? {
            switch kind {
            case .glossy: return "with controlled specular highlights"
            case .satin: return "with soft, broad highlights"
            case .matte, .softTouch: return "with even, diffuse tonality"
            case .metallic: return "with clean, controlled reflections"
            case .brushed: return "with fine, directional highlights"
            case .textured: return "with visible surface texture"
            case .other: return nil
            }
        }

        var isReflective: Bool { kind == .glossy || kind == .metallic || kind == .satin }

        var reflectiveWord: String {
            switch kind {
            case .metallic: return "metallic"
            case .satin: return "satin"
            default: return "glossy"
            }
        }
    }
}
