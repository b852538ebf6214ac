using System.CommandLine;
using SecureOta.UpdateTool.Cli;

// update-tool: build, sign, inspect and verify software update data sets (docs/data-set-format.md).
var root = new RootCommand("Builds, signs, inspects and verifies SUIT software update data sets for Secure OTA devices.");
root.Subcommands.Add(KeygenCommand.Create());
root.Subcommands.Add(CreateCommand.Create());
root.Subcommands.Add(SignCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
return root.Parse(args).Invoke();
