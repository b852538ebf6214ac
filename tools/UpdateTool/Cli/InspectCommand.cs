using System.CommandLine;
using SecureOta.UpdateTool.DataSets;

namespace SecureOta.UpdateTool.Cli;

/// <summary>`inspect FILE [--json]`: every field of a data set, unverified.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Data set (.suit)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("inspect", "Show every field of a data set (does not verify it)");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var report = InspectReport.Build(parse.GetValue(file)!);
            Console.Write(parse.GetValue(json) ? report.ToJson() + "\n" : report.ToText());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
