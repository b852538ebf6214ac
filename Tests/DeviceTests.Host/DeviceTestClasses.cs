using System.Reflection;
using nanoFramework.TestFramework;

namespace SecureOta.DeviceTests.Host;

/// <summary>
/// One instance per device test class, set up once before its first test and cleaned up once after
/// the last, as on the board ([Setup]/[Cleanup] run once per class). A class whose [Setup] skips or
/// fails makes each of its tests skip or fail with that reason.
/// </summary>
public sealed class DeviceTestClasses : IDisposable
{
    private readonly Dictionary<Type, (object Instance, Exception SetupError)> _classes = new();
    private readonly object _lock = new();

    public object InstanceFor(Type type)
    {
        lock (_lock)
        {
            if (!_classes.TryGetValue(type, out var entry))
            {
                var instance = Activator.CreateInstance(type);
                Exception error = null;
                foreach (var setup in DeviceTestCatalog.MethodsWith<SetupAttribute>(type))
                {
                    try { setup.Invoke(setup.IsStatic ? null : instance, null); }
                    catch (TargetInvocationException e) { error = e.InnerException; break; }
                }
                entry = (instance, error);
                _classes[type] = entry;
            }
            if (entry.SetupError is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(entry.SetupError).Throw();
            return entry.Instance;
        }
    }

    public void Dispose()
    {
        var failures = new List<Exception>();
        foreach (var (type, entry) in _classes)
        {
            if (entry.SetupError is not null) continue;
            foreach (var cleanup in DeviceTestCatalog.MethodsWith<CleanupAttribute>(type))
            {
                try { cleanup.Invoke(cleanup.IsStatic ? null : entry.Instance, null); }
                catch (TargetInvocationException e) { failures.Add(e.InnerException); }
            }
        }
        if (failures.Count > 0) throw new AggregateException("device test [Cleanup] failed", failures);
    }
}
