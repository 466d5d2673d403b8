using System;
using System.Collections;
using System.Management.Automation;

namespace S3Credentials
{
    /// <summary>Reads a value by name from whatever was piped or passed: an object's property, or a hashtable's key.</summary>
    internal static class PSObjectValues
    {
        /// <summary>The property (or, for a dictionary, the first key equal ignoring case), unwrapped from PSObject; null when absent.</summary>
        public static object Get(PSObject value, string name)
        {
            if (value == null) return null;
            object raw = null;
            if (value.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
                    {
                        raw = entry.Value;
                        break;
                    }
                }
            }
            else
            {
                raw = value.Properties[name]?.Value;
            }
            return raw is PSObject wrapped ? wrapped.BaseObject : raw;
        }
    }
}
