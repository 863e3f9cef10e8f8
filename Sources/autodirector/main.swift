import AutoDirectorCLI
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
MallocTuning.apply(arguments: arguments)
exit(await CLI.run(arguments: arguments))
