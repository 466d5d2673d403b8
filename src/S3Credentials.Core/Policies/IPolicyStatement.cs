using System.Text.Json;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// One entry of a policy's Statement list: either a <see cref="PolicyStatement"/> the module builds
    /// or a <see cref="RawPolicyStatement"/> a user wrote, which is carried through unchanged.
    /// </summary>
    public interface IPolicyStatement
    {
        /// <summary>Writes the statement as one JSON object at the writer's current position.</summary>
        void WriteTo(Utf8JsonWriter writer);
    }
}
