using System;
using System.Threading;

namespace SecureOta.Agent
{
    /// <summary>
    /// Entry point of the update agent on the board. The update flow (check in, download, verify on
    /// chip, stage, hand off, confirm) is issue 6 and not built yet; until then the application only
    /// reports that it is running, so that the deployment path (nanoff --deploy) can be exercised.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine("secure-ota agent 0.1.0: update flow not implemented yet (see README, 'Status')");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
