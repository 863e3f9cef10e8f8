import AutoDirectorCLI
import Foundation

exit(await CLI.run(arguments: Array(CommandLine.arguments.dropFirst())))
