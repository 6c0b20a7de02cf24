using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Housekeeping;
using MultilateralFlows.Http;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Participants;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using SendGrid;

namespace MultilateralFlows.Hosting;

/// <summary>The one call both hosts make to get the workflow's services, options and storage.</summary>
public static class WorkflowServices
{
    public static IServiceCollection AddMultilateralFlows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LinkOptions>().BindConfiguration(LinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailFolderOptions>().BindConfiguration(MailFolderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendGridOptions>, SendGridOptionsValidator>());
        services.AddOptions<RoundOptions>().BindConfiguration(RoundOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HousekeepingOptions>().BindConfiguration(HousekeepingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        services.AddSingleton(PlatformEnvironment.From(configuration));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ =>
        {
            var (tables, blobs) = StorageConnection.CreateClients(configuration);
            return new WorkflowStorage(tables, blobs);
        });
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RoundIndexStore>();
        services.AddSingleton<RoundStore>();
        services.AddSingleton<RequestStore>();
        services.AddSingleton<ContributionStore>();
        services.AddSingleton<LateContributionStore>();
        services.AddSingleton<SettlementStore>();
        services.AddSingleton<StartKeyStore>();
        services.AddSingleton<PositionStore>();
        services.AddSingleton<ParticipantDirectory>();
        services.AddSingleton<ReplyTokens>();
        services.AddSingleton<ReplyRecorder>();

        // No client time-out: the sender bounds each call itself, so it can tell a time-out from a refusal.
        services.AddHttpClient(nameof(SendGridClient), http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ISendGridClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SendGridClient));
            var clientOptions = new SendGridClientOptions { ApiKey = options.ApiKey };
            if (!string.IsNullOrWhiteSpace(options.Host))
            {
                clientOptions.Host = options.Host;
            }

            return new SendGridClient(http, clientOptions);
        });
        services.AddSingleton<IEmailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IEmailSender).FullName!);
            if (options.ApiKey?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
            {
                // The platform leaves a reference it cannot resolve as it is: every call would answer 401.
                log.LogError(
                    "SendGrid__ApiKey is a Key Vault reference that did not resolve (no secret yet, or no access): " +
                    "e-mail will not be accepted until it does");
            }

            if (options.Enabled)
            {
                log.LogInformation(
                    "E-mail goes to SendGrid at {SendGridHost}{SandboxNote}",
                    options.Host ?? "https://api.sendgrid.com",
                    options.SandboxMode ? " in sandbox mode (validated, not delivered)" : "");
                return ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp);
            }

            var mailFolder = ActivatorUtilities.CreateInstance<MailFolderSender>(sp);
            log.LogInformation("No SendGrid API key: e-mail is written to the local mail folder {MailFolderPath}", mailFolder.Folder);
            return mailFolder;
        });
        services.AddSingleton<SendLedgerStore>();
        services.AddSingleton<SendLedger>();
        services.AddSingleton<CoordinatorNotices>();
        services.AddSingleton<EmailEventsApi>();

        services.AddSingleton<DevelopmentSessions>();
        services.AddSingleton<CoordinatorSignIn>();
        services.AddSingleton<DevelopmentSignInApi>();
        services.AddSingleton<RoundsApi>();
        services.AddSingleton<CoordinatorSignIn>();
        services.AddSingleton<ConsolePages>();
        services.AddSingleton<RoundActionsApi>();
        services.AddSingleton<LateContributionsApi>();
        services.AddSingleton<SettlementApi>();
        services.AddSingleton<CoordinatorSignIn>();
        services.AddSingleton<RoundPageApi>();
        services.AddSingleton<ReplyApi>();
        services.AddSingleton<HistoryPurge>();
        services.AddSingleton<StuckRoundWatchdog>();
        services.AddSingleton<HousekeepingRun>();
        services.AddWorkflowActivities();
        return services;
    }
}
