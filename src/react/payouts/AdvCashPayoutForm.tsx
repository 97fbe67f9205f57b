import { advCashPayoutAccount } from '../../core/methods/index.ts';
import { PayoutForm, type PayoutFormProps } from './PayoutForm.tsx';

export interface AdvCashPayoutAccount {
  /** The e-mail the ADVCash wallet is registered with. */
  number: string;
}

/** ADVCash payout details: the wallet's e-mail, validated with the core's `advCashPayoutAccount`. */
export function AdvCashPayoutForm(props: PayoutFormProps<AdvCashPayoutAccount>) {
  return (
    <PayoutForm<AdvCashPayoutAccount>
      schema={advCashPayoutAccount}
      title="payout.advcash.title"
      className="ecp-payout--advcash"
      props={props}
      fields={[
        {
          name: 'number',
          label: 'field.wallet_email',
          hint: 'field.wallet_email.hint',
          type: 'email',
          inputMode: 'email',
          autoComplete: 'email',
        },
      ]}
    />
  );
}
