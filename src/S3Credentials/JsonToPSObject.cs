using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace S3Credentials
{
    /// <summary>Turns JSON into what ConvertFrom-Json would give: PSCustomObjects, object[] and plain values.</summary>
    internal static class JsonToPSObject
    {
        public static object Convert(string json)
        {
            if (string.IsNullOrEmpty(json)) return null;
            using (var document = JsonDocument.Parse(json))
                return Convert(document.RootElement);
        }

        private static object Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var result = new PSObject();
                    foreach (var property in element.EnumerateObject())
                        result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
                    return result;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(Convert).ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }
}
