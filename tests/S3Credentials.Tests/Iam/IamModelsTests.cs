using System;
using System.Linq;
using S3Credentials.Core.Iam;
using Xunit;

namespace S3Credentials.Tests.Iam
{
    public sealed class IamModelsTests
    {
        [Fact]
        public void WithTags_copies_every_other_property_of_the_user_found_by_reflection_and_leaves_the_original_alone()
        {
            var user = new IamUser();
            var properties = typeof(IamUser).GetProperties().Where(p => p.CanWrite && p.Name != nameof(IamUser.Tags)).ToList();
            foreach (var property in properties)
                property.SetValue(user, SampleValue(property.PropertyType, property.Name));
            var oldTags = new[] { new IamTag("old", "1") };
            var newTags = new[] { new IamTag("new", "2") };
            user.Tags = oldTags;

            var copy = user.WithTags(newTags);

            Assert.NotSame(user, copy);
            Assert.Same(newTags, copy.Tags);
            Assert.Same(oldTags, user.Tags);
            Assert.NotEmpty(properties);
            foreach (var property in properties)
                Assert.Equal(property.GetValue(user), property.GetValue(copy));
        }

        /// <summary>A value unlike the default for a property of the type, so a field the copy forgot would differ.</summary>
        private static object SampleValue(Type type, string name)
        {
            if (type == typeof(string)) return "sample-" + name;
            if (type == typeof(DateTime)) return new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            if (type == typeof(DateTime?)) return new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            if (type == typeof(bool)) return true;
            if (type == typeof(int)) return 7;
            throw new NotSupportedException($"IamUser.{name} is a {type.Name}: give it a sample value here.");
        }
    }
}
