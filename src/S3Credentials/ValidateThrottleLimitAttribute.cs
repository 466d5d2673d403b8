using System.Management.Automation;
using S3Credentials.Core.Operations;

namespace S3Credentials
{
    /// <summary>
    /// -ThrottleLimit's rule (<see cref="BoundedConcurrency.ThrottleLimitProblem"/>), checked as the parameter is bound:
    /// so every cmdlet that has the parameter refuses a bad value the same way, naming the parameter and the rule, before
    /// it asks a question or sends a request. PowerShell reports it as ParameterArgumentValidationError, "Cannot validate
    /// argument on parameter 'ThrottleLimit'." followed by the rule.
    /// </summary>
    public sealed class ValidateThrottleLimitAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is int limit && BoundedConcurrency.ThrottleLimitProblem(limit) is string problem)
                throw new ValidationMetadataException(problem);
        }
    }
}
