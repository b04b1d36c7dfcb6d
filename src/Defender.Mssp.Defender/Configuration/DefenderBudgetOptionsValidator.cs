using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>Checks each API's budget (data annotations do not reach into <see cref="DefenderBudgetOptions.Apis"/>).</summary>
internal sealed class DefenderBudgetOptionsValidator : IValidateOptions<DefenderBudgetOptions>
{
    public ValidateOptionsResult Validate(string? name, DefenderBudgetOptions options)
    {
        var failures = new List<string>();
        foreach (var (api, budget) in options.Apis)
        {
            var results = new List<ValidationResult>();
            if (budget is null)
            {
                failures.Add($"{DefenderBudgetOptions.SectionName}:{api} is empty.");
                continue;
            }

            if (!Validator.TryValidateObject(budget, new ValidationContext(budget), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"{DefenderBudgetOptions.SectionName}:{api}: {r.ErrorMessage}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
