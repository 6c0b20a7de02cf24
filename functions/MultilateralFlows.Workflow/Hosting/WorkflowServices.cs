using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
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
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RoundOptions>().BindConfiguration(RoundOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ =>
        {
            var (tables, blobs) = StorageConnection.CreateClients(configuration);
            return new WorkflowStorage(tables, blobs);
        });
        services.AddSingleton<RoundStore>();
        services.AddSingleton<PositionStore>();
        services.AddSingleton<ParticipantDirectory>();
        services.AddSingleton<ReplyTokens>();
        services.AddSingleton<ReplyRecorder>();

        services.AddHttpClient(nameof(SendGridClient));
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
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<SendGridOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp));

        services.AddSingleton<RoundsApi>();
        services.AddSingleton<RoundActionsApi>();
        services.AddSingleton<ReplyApi>();
        services.AddWorkflowActivities();
        return services;
    }
}
