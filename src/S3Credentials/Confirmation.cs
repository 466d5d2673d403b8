using System.Management.Automation;

namespace S3Credentials
{
    /// <summary>How -Force, -Confirm and -WhatIf decide whether a cmdlet asks before it changes something.</summary>
    internal static class Confirmation
    {
        /// <summary>-Force answers the ShouldProcess question itself, unless -Confirm was given explicitly (-WhatIf still only reports).</summary>
        public static bool ForceSkipsQuestion(PSCmdlet cmdlet, bool force)
            => force && !cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm");

        /// <summary>True when -WhatIf was given (or $WhatIfPreference is set).</summary>
        public static bool IsWhatIf(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter whatIf)
                return whatIf.IsPresent;
            var preference = cmdlet.SessionState?.PSVariable.GetValue("WhatIfPreference");
            return preference is SwitchParameter s ? s.IsPresent : preference is bool b && b;
        }
    }
}
