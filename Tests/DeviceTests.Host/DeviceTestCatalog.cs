using System.Reflection;
using nanoFramework.TestFramework;

namespace SecureOta.DeviceTests.Host;

/// <summary>
/// Discovers the device tests the way nanoFramework's UnitTestLauncher does: every public class with
/// [TestClass], its [Setup] and [Cleanup] methods, and each [TestMethod] (one case per [DataRow]).
/// A case is named "Class.Method" or "Class.Method#row", which is what dotnet test lists.
/// </summary>
public static class DeviceTestCatalog
{
    public sealed record Case(string Name, Type Class, MethodInfo Method, object[] Arguments);

    private static readonly Lazy<IReadOnlyDictionary<string, Case>> Cases = new(Discover);

    public static IEnumerable<string> Names => Cases.Value.Keys;

    public static Case Get(string name) => Cases.Value[name];

    private static IReadOnlyDictionary<string, Case> Discover()
    {
        var cases = new SortedDictionary<string, Case>(StringComparer.Ordinal);
        var types = typeof(DeviceTestCatalog).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsPublic && t.GetCustomAttribute<TestClassAttribute>() is not null);
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<TestMethodAttribute>() is null) continue;
                var rows = method.GetCustomAttributes<DataRowAttribute>().ToList();
                var baseName = type.Name + "." + method.Name;
                if (rows.Count == 0)
                {
                    cases.Add(baseName, new Case(baseName, type, method, []));
                    continue;
                }
                for (int i = 0; i < rows.Count; i++)
                {
                    var name = $"{baseName}#{i}({string.Join(",", rows[i].MethodParameters.Select(p => p?.ToString() ?? "null"))})";
                    cases.Add(name, new Case(name, type, method, rows[i].MethodParameters));
                }
            }
        }
        return cases;
    }

    public static MethodInfo[] MethodsWith<TAttribute>(Type type) where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<TAttribute>() is not null).ToArray();
}
