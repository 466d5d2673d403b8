using System;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// AWS access key ids issued since 2019 (AKIA/ASIA followed by a character from Q-Z or 2-7) encode the
    /// account id: base32 of (account / 2 + 2^39) in the next eight characters, with the account's lowest bit in
    /// the character after them. Reading it saves a GetCallerIdentity call; older keys cannot be read and return null.
    /// </summary>
    public static class AccessKeyAccount
    {
        private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        private const long Offset = 549755813888L; // 2^39

        public static string TryGetAccountId(string accessKeyId)
        {
            if (accessKeyId == null || accessKeyId.Length < 16) return null;
            var prefix = accessKeyId.Substring(0, 4);
            if (prefix != "AKIA" && prefix != "ASIA") return null;
            long value = 0;
            for (var i = 4; i < 12; i++)
            {
                var digit = Base32Alphabet.IndexOf(accessKeyId[i]);
                if (digit < 0) return null;
                value = (value << 5) | (uint)digit;
            }
            if (value < Offset) return null; // an old-format key: no account inside
            var half = value - Offset;
            var lowBit = Base32Alphabet.IndexOf(accessKeyId[12]);
            if (lowBit < 0) return null;
            var account = half * 2 + (lowBit >= 16 ? 1 : 0);
            if (account <= 0 || account > 999999999999L) return null;
            return account.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
